"""The request service over ports (store, provisioner, scheduler, notifier, jobs)."""
