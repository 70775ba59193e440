"""Community classes: join by QR code, who needs help, practical assessments."""
