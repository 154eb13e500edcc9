"""The app's dialogs: client profile, new assessment, library, settings, answer import preview."""
