"""The app as bench/pages serves it: the project's settings and URLs plus one trivial view to compare against."""
