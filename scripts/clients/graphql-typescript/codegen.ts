// Typed operations from the service's published contract (openapi/schema.graphql, exported by
// `turnabout export-openapi`): GraphQL Code Generator's client preset writes the types into
// src/generated/, and a persisted-documents.json that the service can use as its query registry.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../../openapi/schema.graphql",
  documents: ["src/**/*.ts", "!src/generated/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      config: {
        strictScalars: true,
        scalars: { UUID: "string", DateTime: "string", Date: "string", JSON: "unknown" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { persistedDocuments: { hashAlgorithm: "sha256" }, fragmentMasking: false },
    },
  },
};

export default config;
