"""The pure domain of the fake core bank: no HTTP, no wall clock, no global randomness.

Everything time- or identity-dependent takes a :class:`~fake_core_bank.domain.clock.Clock` and an
:class:`~fake_core_bank.domain.ids.IdGenerator`, so the same seed and the same calls give the
same ledger, byte for byte.
"""
