"""Every change to working together: scoped to the actor's place in the cluster
(``selectors.Access``), one transaction, audited."""
