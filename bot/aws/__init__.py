"""boto3 adapters: thin translations between the core and AWS."""
