"""Settings, project root resolution and file discovery."""
