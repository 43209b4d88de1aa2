"""People: the user model, login with throttling, and creating accounts."""
