"""`pertinent train / evaluate / recommend`: from events and catalog to a validated, gated model set.

pipeline (orchestration) -> io / wordpress (inputs) -> steps (recommender search, classifiers) ->
replay (features from the past only) -> ranking / readnext / metrics (evaluation) -> gate -> report.
"""
