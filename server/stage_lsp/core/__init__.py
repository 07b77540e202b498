"""Small value types shared by every layer: ranges, violations, keys, text decoding."""
