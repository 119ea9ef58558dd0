"""GraphQL (Strawberry) over the same service functions as REST — arrives with the GraphQL issue."""
