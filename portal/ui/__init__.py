"""Cross-cutting UI: Jinja filters, template context, security headers and the language switch."""
