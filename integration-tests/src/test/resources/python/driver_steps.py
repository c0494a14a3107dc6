"""PythonDriverIT's multi-job program, run with -pym driver_steps -pyfs <this directory>.

Jobs, in this order: a DAEMON job (Table API, endless), job 1 execute() (word counts with Python
functions), job 2 execute_async() (sum of squares), job 3 execute() again (one record). Every
Python function runs in the user TaskManagers' Python workers; Trace records each task run and
the worker's interpreter. Trace files in <trace>: main-<run> per main() run, runs/job-<n>-<uuid>
per task run (both with the interpreter that ran it), results/main-<run>-job-<n> with the job id
execute() returned.

With "kill-after-job-2", the first main() run writes its TaskManager's pid (the parent of this
process) to <trace>/kill-driver after job 2 and waits for the test to kill that TaskManager.
"""
import os
import sys
import time

from pyflink.common import Configuration, Encoder, Types
from pyflink.datastream import RuntimeExecutionMode, StreamExecutionEnvironment
from pyflink.datastream.connectors.file_system import FileSink
from pyflink.table import StreamTableEnvironment

from steps_lib import Trace, square

TEXT = ["to be or not to be", "that is the question"]


def sink(path):
    return FileSink.for_row_format(path, Encoder.simple_string_encoder()).build()


def record(trace, run, job, job_id):
    with open(os.path.join(trace, "results", f"main-{run}-job-{job}"), "w") as f:
        f.write(str(job_id))


def main(trace, mode):
    os.makedirs(os.path.join(trace, "runs"), exist_ok=True)
    os.makedirs(os.path.join(trace, "results"), exist_ok=True)
    run = len([f for f in os.listdir(trace) if f.startswith("main-")]) + 1
    with open(os.path.join(trace, f"main-{run}"), "w") as f:
        f.write(sys.executable)
    print(f"main() run {run} of driver_steps in {sys.executable}")

    conf = Configuration()
    conf.set_string("driver.job.living-priority", "DAEMON")
    t_env = StreamTableEnvironment.create(StreamExecutionEnvironment.get_execution_environment(conf))
    t_env.get_config().set("driver.job.living-priority", "DAEMON")
    t_env.get_config().set("pipeline.name", "ticks")
    t_env.execute_sql("CREATE TEMPORARY TABLE ticks (n BIGINT) "
                      "WITH ('connector' = 'datagen', 'rows-per-second' = '1')")
    t_env.execute_sql("CREATE TEMPORARY TABLE nowhere (n BIGINT) WITH ('connector' = 'blackhole')")
    t_env.execute_sql("INSERT INTO nowhere SELECT n FROM ticks")

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_runtime_mode(RuntimeExecutionMode.BATCH)
    env.set_parallelism(1)
    out = os.path.join(trace, "out")

    env.from_collection(TEXT, Types.STRING()) \
        .map(Trace(trace, 1), Types.STRING()) \
        .flat_map(lambda line: line.split(), Types.STRING()) \
        .map(lambda w: (w, 1), Types.TUPLE([Types.STRING(), Types.INT()])) \
        .key_by(lambda t: t[0]) \
        .reduce(lambda a, b: (a[0], a[1] + b[1])) \
        .map(lambda t: f"{t[0]} {t[1]}", Types.STRING()) \
        .sink_to(sink(os.path.join(out, "words")))
    record(trace, run, 1, env.execute("words").get_job_id())

    env.from_collection(list(range(1, 101)), Types.LONG()) \
        .map(Trace(trace, 2), Types.LONG()) \
        .map(square, Types.LONG()) \
        .key_by(lambda x: 0, Types.INT()) \
        .reduce(lambda a, b: a + b) \
        .map(str, Types.STRING()) \
        .sink_to(sink(os.path.join(out, "squares")))
    client = env.execute_async("squares")
    client.get_job_execution_result().result()
    record(trace, run, 2, client.get_job_id())

    if mode == "kill-after-job-2" and run == 1:
        parent = os.getppid()
        with open(os.path.join(trace, "kill-driver"), "w") as f:
            f.write(str(parent))
        # Until the test has killed the TaskManager; then this orphan ends too.
        deadline = time.time() + 600
        while os.getppid() == parent and time.time() < deadline:
            time.sleep(0.2)
        sys.exit(3)

    env.from_collection(["where"], Types.STRING()) \
        .map(Trace(trace, 3), Types.STRING()) \
        .sink_to(sink(os.path.join(out, "last")))
    record(trace, run, 3, env.execute("last").get_job_id())
    print(f"main() run {run} of driver_steps done")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
