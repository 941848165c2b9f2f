"""Enqueuing is atomic: many enqueuers asking at the same moment for the same job put it on the queue once."""

from __future__ import annotations

import threading

import redis

from service.queues.enqueue import batch_job_id, enqueue_batch_build

RACERS = 12


def test_twelve_enqueuers_asking_for_the_same_job_at_once_queue_it_once(app, redis_url):
    start, answers = threading.Barrier(RACERS), []

    def race() -> None:
        with app.app_context():
            start.wait()
            answers.append(enqueue_batch_build(4242))

    racers = [threading.Thread(target=race) for _ in range(RACERS)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(60)
    queued = redis.Redis.from_url(redis_url).lrange("rq:queue:batches", 0, -1)
    assert queued == [batch_job_id(4242).encode()]
    assert answers.count(True) == 1


def test_a_finished_job_can_be_queued_again_but_a_queued_one_cannot(app_ctx, redis_url):
    connection = redis.Redis.from_url(redis_url)
    assert enqueue_batch_build(7) is True
    assert enqueue_batch_build(7) is False
    connection.lpop("rq:queue:batches")
    from rq.job import Job
    from rq.serializers import JSONSerializer

    job = Job.fetch(batch_job_id(7), connection=connection, serializer=JSONSerializer)
    job.set_status("finished")
    assert enqueue_batch_build(7) is True
    assert connection.lrange("rq:queue:batches", 0, -1) == [batch_job_id(7).encode()]


def test_queueing_many_renders_in_one_process_keeps_the_redis_client_count_flat(app_ctx, redis_url):
    """rq holds on to each queued job's connection: a client per enqueue once filled Redis's client limit."""
    from service.queues import client_name
    from service.queues.enqueue import enqueue_render

    observer = redis.Redis.from_url(redis_url)

    def ours() -> int:  # this process's connections only: a shared Redis server has other tests' clients too
        return sum(1 for client in observer.client_list() if client["name"] == client_name())

    before = ours()
    kept = [enqueue_render(request_id) for request_id in range(1, 301)]  # keep nothing else alive
    after = ours()
    assert all(kept)
    assert after - before <= 2, f"{after - before} Redis clients opened for 300 enqueues"


def test_a_new_job_is_queued_even_while_a_dead_enqueuers_lock_is_held(app_ctx, redis_url):
    """A web process killed mid-enqueue leaves its lock for ten seconds; a request logged meanwhile is still
    queued at once (its id holds no job, so nothing needs the lock), and a finished job's id waits for it."""
    from rq.job import Job
    from rq.serializers import JSONSerializer

    from service.queues.enqueue import enqueue_render, render_job_id

    connection = redis.Redis.from_url(redis_url)
    connection.set(f"survey-line:enqueuing:{render_job_id(5150)}", "1", ex=10)
    assert enqueue_render(5150) is True
    assert connection.lrange("rq:queue:packs", 0, -1) == [render_job_id(5150).encode()]

    connection.lpop("rq:queue:packs")
    Job.fetch(render_job_id(5150), connection=connection, serializer=JSONSerializer).set_status("finished")
    assert enqueue_render(5150) is False  # replacing a stored job is the lock holder's to do
    connection.delete(f"survey-line:enqueuing:{render_job_id(5150)}")
    assert enqueue_render(5150) is True
    assert connection.lrange("rq:queue:packs", 0, -1) == [render_job_id(5150).encode()]
