"""Sign-in, sign-out, password reset, invitations, sessions and the access decorators."""
