from zwgk_tui.cli.main import run

run()
