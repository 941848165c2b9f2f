# Read by the `flask` command (python-dotenv), so `.venv/bin/flask ...` finds the app from the project folder.
FLASK_APP=service:create_app
