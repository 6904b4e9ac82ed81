"""Moving a gym in: reading other systems' CSV exports, mapping, validating, importing."""
