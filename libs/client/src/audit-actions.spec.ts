import { AUDIT_ACTIONS as CONTRACT_AUDIT_ACTIONS } from '@app/contracts';
import { AUDIT_ACTIONS } from './audit-actions';

describe('AUDIT_ACTIONS', () => {
  it("holds every action a record can have, and no other (the client's copy of the contracts' list)", () => {
    expect([...AUDIT_ACTIONS].sort()).toEqual([...CONTRACT_AUDIT_ACTIONS].sort());
  });
});
