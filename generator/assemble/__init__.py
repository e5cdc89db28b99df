"""Build stage: stage pages → MkDocs → leak guard → atomic swap of site/."""
