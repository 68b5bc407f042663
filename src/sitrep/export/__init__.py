"""Writers that turn a situation model into the formats users read or load elsewhere."""
