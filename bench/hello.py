"""The bare Flask app the benchmark compares against: one route, no database, no templates."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"
