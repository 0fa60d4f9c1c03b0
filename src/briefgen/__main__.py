from briefgen.start import main

main()
