from cpd import create_app

app = create_app()
