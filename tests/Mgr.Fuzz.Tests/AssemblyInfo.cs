// Allocation budgets of stream targets are measured process-wide, so fuzz runs must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
