"""Running the service: the background worker, the schedule, and the operator's metrics."""
