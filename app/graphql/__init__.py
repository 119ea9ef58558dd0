"""GraphQL (Strawberry) at ``/graphql``: the second door into the same use cases as REST."""
