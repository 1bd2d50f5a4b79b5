"""Stats' use cases: storing consumed events, the projection folded from them (live and as of a day),
figures, reports and case audit timelines. Each takes its ports (session, dependencies) as arguments."""
