"""Background work: plain job functions that take ids, run by rq workers."""
