"""GraphQL object types built from the domain's read models."""
