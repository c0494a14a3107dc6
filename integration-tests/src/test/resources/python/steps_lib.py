"""Shipped with -pyfs beside driver_steps.py: imported by main() and by the Python UDF workers."""
import os
import sys
import uuid

from pyflink.datastream import MapFunction


def square(x):
    return x * x


class Trace(MapFunction):
    """Leaves <trace>/runs/job-<n>-<uuid> once per task run: the worker's interpreter, and what
    the requirement from -pyreq says."""

    def __init__(self, trace, job):
        self.trace = trace
        self.job = job

    def open(self, runtime_context):
        path = os.path.join(self.trace, "runs", f"job-{self.job}-{uuid.uuid4().hex}")
        try:
            import tinylib  # installed into the worker from -pyreq's file and cache directory
            requirement = tinylib.MESSAGE
        except ImportError as e:
            requirement = f"tinylib missing: {e}"
        with open(path, "w") as f:
            f.write(sys.executable + "\n" + requirement)

    def map(self, value):
        return value
