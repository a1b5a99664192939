"""Screens: search (the home screen), entry, help, and the two dialogs."""
