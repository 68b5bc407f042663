"""Engines that analyse documents somewhere other than this process (see sitrep.store.batch.ENGINES)."""
