"""The default batch size: a tenth of the study, at most 200, and bounded by memory."""

from iadsim.study.plan import BATCH_ROW_BUDGET, MAX_BATCH, default_batch_size


def test_a_tenth_of_the_study_between_one_and_the_maximum():
    assert default_batch_size(5) == 1
    assert default_batch_size(20) == 2
    assert default_batch_size(2000) == MAX_BATCH == 200
    assert default_batch_size(100_000) == MAX_BATCH


def test_large_replications_get_smaller_batches():
    # 100 threats x 3,601 ticks x 2 pictures: at most BATCH_ROW_BUDGET rows per batch.
    size = 100 * 3601 * 2
    assert default_batch_size(2000, size) == BATCH_ROW_BUDGET // size == 27
    assert default_batch_size(2000, 10**9) == 1
