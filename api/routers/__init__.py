"""One router per resource of the web service; ``govkg.api.app.create_app`` mounts them."""
