"""The embedded world for `accessbot serve`: moto as AWS, a local scheduler, the local HTTP adapter."""
