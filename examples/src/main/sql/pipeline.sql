-- flink-driver's example SQL pipeline: run it as the driver of one application,
--   bin/flink-driver run -D --sql examples/pipeline.sql
-- Three jobs (an INSERT, a statement set, a query), one after the other.

SET 'execution.runtime-mode' = 'batch';
-- Each INSERT waits for its job, so the query at the end reads what they wrote.
SET 'table.dml-sync' = 'true';

CREATE TEMPORARY VIEW orders AS
  SELECT * FROM (VALUES
    (1, 'apple', 3, 0.50),
    (2, 'pear', 12, 0.80),
    (3, 'apple', 40, 0.45),
    (4, 'plum', 6, 1.20)
  ) AS t(order_id, product, quantity, price);

CREATE TABLE revenue (product STRING, revenue DECIMAL(10, 2))
  WITH ('connector' = 'filesystem', 'path' = 'file:///tmp/flink-driver-example/revenue',
        'format' = 'csv');
CREATE TABLE big_orders (order_id INT, product STRING)
  WITH ('connector' = 'filesystem', 'path' = 'file:///tmp/flink-driver-example/big-orders',
        'format' = 'csv');
CREATE TABLE small_orders (order_id INT, product STRING)
  WITH ('connector' = 'filesystem', 'path' = 'file:///tmp/flink-driver-example/small-orders',
        'format' = 'csv');

-- Job 1
INSERT OVERWRITE revenue
  SELECT product, CAST(SUM(quantity * price) AS DECIMAL(10, 2)) FROM orders GROUP BY product;

-- Job 2: both INSERTs in one job
EXECUTE STATEMENT SET
BEGIN
  INSERT OVERWRITE big_orders SELECT order_id, product FROM orders WHERE quantity * price >= 10;
  INSERT OVERWRITE small_orders SELECT order_id, product FROM orders WHERE quantity * price < 10;
END;

-- Job 3: its rows are printed to the driver's stdout (taskmanager.out of the driver's container)
SELECT product, revenue FROM revenue ORDER BY product;
