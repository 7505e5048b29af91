"""The pure core: models, IAM catalogue, policy writer, central validation, state machine."""
