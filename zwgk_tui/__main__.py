from zwgk_tui.cli.start import run

run()
