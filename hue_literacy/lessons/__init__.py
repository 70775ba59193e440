"""The lesson catalogue and player: one step per screen, practice QR codes."""
