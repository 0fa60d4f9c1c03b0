"""veraPDF's greenfield validator, run once per batch of PDFs (one JVM), read back from its XML.

The jars come from Maven Central through ``make verapdf`` (``tools/verapdf/pom.xml``, pinned) into
``.cache/verapdf/lib``. veraPDF picks the profiles from each PDF's own identification (pdfaid,
pdfuaid); ``validate`` checks that exactly the two required profiles were applied, so a PDF that
claims less (or something else) fails instead of passing against fewer rules.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO

LIB = REPO / ".cache" / "verapdf" / "lib"
MAIN = "org.verapdf.apps.GreenfieldCliWrapper"
PROFILES = {"PDF/A-2B": "PDF/A-2B validation profile", "PDF/UA-1": "PDF/UA-1 validation profile"}
INSTALL = "veraPDF ontbreekt: voer 'make verapdf' uit (Java 17 en Maven nodig)"


class VeraPdfUnavailable(Exception):
    """veraPDF cannot run here (no Java, no jars, or it crashed); the message is Dutch."""


@dataclass(frozen=True)
class Rule:
    rule_id: str  # e.g. "ISO 14289-1:2014 7.18.3-1"
    description: str
    failed_checks: int
    contexts: tuple[str, ...]

    def format(self) -> str:
        where = "".join(f"\n      {context}" for context in self.contexts)
        return f"{self.rule_id} ({self.failed_checks}x): {self.description}{where}"


@dataclass
class Result:
    pdf: Path
    job: ET.Element  # veraPDF's <job> element, for the per-PDF machine-readable report
    failed: dict[str, list[Rule]] = field(default_factory=dict)  # required profile -> failed rules
    missing: list[str] = field(default_factory=list)  # required profiles veraPDF did not apply
    error: str = ""  # veraPDF could not validate this file at all

    @property
    def ok(self) -> bool:
        return not self.error and not self.missing and not any(self.failed.values())

    def problems(self, profile: str | None = None) -> list[str]:
        """Dutch lines: what is wrong, with rule ids and veraPDF's descriptions."""
        lines = [f"veraPDF kon het bestand niet valideren: {self.error}"] if self.error else []
        for name in [profile] if profile else list(PROFILES):
            if name in self.missing:
                lines.append(f"{name}: niet gevalideerd (de PDF noemt dit profiel niet in haar XMP)")
            for rule in self.failed.get(name, []):
                lines.append(f"{name}: {rule.format()}")
        return lines

    def report_xml(self, build_information: ET.Element | None) -> bytes:
        """veraPDF's machine-readable report (MRR) for this PDF alone."""
        report = ET.Element("report")
        if build_information is not None:
            report.append(build_information)
        ET.SubElement(report, "jobs").append(self.job)
        ET.indent(report)
        return ET.tostring(report, encoding="utf-8", xml_declaration=True)


def java() -> str:
    found = shutil.which("java")
    if found is None:
        raise VeraPdfUnavailable("Java ontbreekt: voer 'make verapdf' uit (installeert een JRE)")
    if not any(LIB.glob("validation-model-*.jar")):
        raise VeraPdfUnavailable(INSTALL)
    return found


def run(pdfs: list[Path]) -> tuple[list[Result], ET.Element | None]:
    """Validate all ``pdfs`` in one veraPDF run; the results in the same order."""
    launcher = java()
    if not pdfs:
        return [], None
    command = [launcher, "-cp", f"{LIB}/*", MAIN, "--format", "xml", "--maxfailuresdisplayed", "3",
               *(str(p) for p in pdfs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    # 0: all compliant, 1: some not compliant; anything else is veraPDF failing itself.
    if done.returncode not in (0, 1) or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or ["geen uitvoer"])[-1]
        raise VeraPdfUnavailable(f"veraPDF eindigde met code {done.returncode}: {tail}")
    try:
        root = ET.fromstring(done.stdout)
    except ET.ParseError as exc:
        raise VeraPdfUnavailable(f"veraPDF gaf geen leesbaar rapport: {exc}") from exc
    jobs = {Path(job.findtext("item/name", "")).resolve(): job for job in root.iter("job")}
    results = []
    for pdf in pdfs:
        job = jobs.get(pdf.resolve())
        if job is None:
            results.append(Result(pdf, ET.Element("job"), error="niet in het rapport van veraPDF"))
            continue
        results.append(_result(pdf, job))
    return results, root.find("buildInformation")


def _result(pdf: Path, job: ET.Element) -> Result:
    result = Result(pdf, job)
    exception = job.find("taskException")
    if exception is not None:
        result.error = (exception.findtext("exceptionMessage") or exception.get("type") or "").strip()
    applied = {report.get("profileName"): report for report in job.iter("validationReport")}
    for name, profile_name in PROFILES.items():
        report = applied.get(profile_name)
        if report is None:
            result.missing.append(name)
            continue
        result.failed[name] = [_rule(rule) for rule in report.iter("rule") if rule.get("status") == "failed"]
    return result


def _rule(rule: ET.Element) -> Rule:
    rule_id = f"{rule.get('specification')} {rule.get('clause')}-{rule.get('testNumber')}"
    contexts = tuple(
        " ".join(filter(None, [check.findtext("context", ""), check.findtext("errorMessage", "")]))
        for check in rule.iter("check")
    )
    return Rule(rule_id, (rule.findtext("description") or "").strip(),
                int(rule.get("failedChecks", "0")), contexts)
