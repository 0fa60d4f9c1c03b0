#!/usr/bin/env node
// Renders one Carbone template to PDF for every data object in a JSON array, for bench/batch.py.
//
//   node render.js TEMPLATE.docx DATA.json OUTDIR [FACTORIES]
//
// Starts FACTORIES warm LibreOffice factories (carbone.set startFactory), renders the first data
// object once per factory, untimed (every factory has then loaded a document), and prints
// {"ready": true}. Each line then read from stdin starts one timed round: every data object is
// rendered to OUTDIR/NNNN.pdf with 2 x FACTORIES renders in flight (Carbone queues the conversions
// and hands each to a free factory), after which one JSON line reports the round. End of stdin stops.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const carbone = require('carbone');

const [template, dataFile, outdir, factoriesArg] = process.argv.slice(2);
const factories = parseInt(factoriesArg || '2', 10);
const letters = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const options = { convertTo: 'pdf' };

function render (data) {
  return new Promise((resolve, reject) => {
    carbone.render(template, data, options, (err, result) => (err ? reject(new Error(String(err))) : resolve(result)));
  });
}

async function round () {
  const started = process.hrtime.bigint();
  const times = new Array(letters.length);
  let next = 0;
  async function worker () {
    while (next < letters.length) {
      const index = next++;
      const begin = process.hrtime.bigint();
      const pdf = await render(letters[index]);
      fs.writeFileSync(path.join(outdir, String(index).padStart(4, '0') + '.pdf'), pdf);
      times[index] = Number(process.hrtime.bigint() - begin) / 1e9;
    }
  }
  await Promise.all(Array.from({ length: 2 * factories }, worker));
  return { seconds : Number(process.hrtime.bigint() - started) / 1e9, letters : letters.length, times };
}

async function main () {
  fs.mkdirSync(outdir, { recursive : true });
  carbone.set({ factories, startFactory : true, templatePath : path.dirname(path.resolve(template)) });
  const warm = process.hrtime.bigint();
  await Promise.all(Array.from({ length: factories }, () => render(letters[0])));
  console.log(JSON.stringify({ ready : true, warmup : Number(process.hrtime.bigint() - warm) / 1e9 }));
  const input = readline.createInterface({ input : process.stdin });
  for await (const line of input) {
    if (line.trim() === '') {
      continue;
    }
    console.log(JSON.stringify(await round()));
  }
  process.exit(0); // Carbone's exit handler stops the factories
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
