"""Pages: server-rendered HTML with Jinja2 and htmx."""
