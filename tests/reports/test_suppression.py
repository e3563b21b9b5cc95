"""AC-4: small numbers are hidden, and cannot be worked out from a total."""

from reports.suppression import (
    HIDDEN,
    SMALL,
    shown,
    shown_mean,
    suppress_column,
    suppress_national,
)


def test_four_is_hidden_and_five_is_shown():
    assert shown(4) == SMALL == "<5"
    assert shown(5) == 5


def test_one_is_hidden_and_zero_is_shown():
    assert shown(1) == "<5"
    assert shown(0) == 0


def test_a_column_without_small_cells_is_shown_as_it_is():
    column = suppress_column([5, 0, 12])
    assert column.cells == [5, 0, 12]
    assert column.total == 17


def test_one_small_cell_hides_the_next_smallest_non_zero_cell_too():
    column = suppress_column([20, 3, 0, 7, 9])
    assert column.cells == [20, "<5", 0, HIDDEN, 9]
    assert column.total == 39


def test_the_second_hidden_cell_is_the_smallest_of_five_or_more():
    column = suppress_column([5, 4, 6])
    assert column.cells == [HIDDEN, "<5", 6]


def test_two_small_cells_hide_nothing_more():
    column = suppress_column([2, 4, 10])
    assert column.cells == ["<5", "<5", 10]
    assert column.total == 16


def test_a_small_total_is_hidden_itself():
    column = suppress_column([3, 0, 1])
    assert column.cells == ["<5", 0, "<5"]
    assert column.total == "<5"


def test_one_small_cell_alone_hides_its_total_too():
    column = suppress_column([0, 4, 0])
    assert column.cells == [0, "<5", 0]
    assert column.total == "<5"


def test_a_total_of_five_is_shown():
    column = suppress_column([4, 1])
    assert column.cells == ["<5", "<5"]
    assert column.total == 5


def test_without_a_total_one_small_cell_hides_nothing_more():
    column = suppress_column([3, 7], with_total=False)
    assert column.cells == ["<5", 7]
    assert column.total is None


def test_a_mean_over_four_people_is_not_shown_and_over_five_it_is():
    assert shown_mean(2.0, persons=4) is None
    assert shown_mean(2.5, persons=5) == 2.5
    assert shown_mean(None, persons=10) is None


def test_the_country_is_hidden_where_its_rest_beside_the_scope_is_small():
    # Rest of the country per cell: 0, 3, 10. The 3 is hidden, and the one hidden cell
    # hides the next-smallest of the national column too; the total's rest is 13.
    column = suppress_national([10, 20, 30], [10, 23, 40])
    assert column.cells == [HIDDEN, HIDDEN, 40]
    assert column.total == 73


def test_the_national_total_is_hidden_when_the_rest_of_the_country_is_small():
    column = suppress_national([10, 20], [12, 20])
    assert column.cells == [HIDDEN, HIDDEN]
    assert column.total == HIDDEN


def test_a_rest_of_zero_or_five_gives_nobody_away():
    column = suppress_national([10, 20], [10, 25])
    assert column.cells == [10, 25]
    assert column.total == 35
