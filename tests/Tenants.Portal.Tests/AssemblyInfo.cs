// One platform and one browser for every portal test (PortalCollection); the tests inside run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
