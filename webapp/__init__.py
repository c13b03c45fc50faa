"""Dramatis: a web reader for news articles with their people, organisations and countries."""
