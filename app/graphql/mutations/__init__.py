"""Mutations, one module per area; ``app.graphql.schema`` joins them into the root."""
