import fs, { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalStore } from '../../local/store';

type User = { name: string; password?: string };

describe('JournalStore', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-store-'));
    file = join(dir, 'iam.jsonl');
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when it is reopened', () => {
    it('keeps every set value and none of the deleted ones, per collection', () => {
      const store = JournalStore.open(dir, 'iam');
      const users = store.collection<User>('users');
      users.set('ada', { name: 'Ada' });
      users.set('bob', { name: 'Bob' });
      users.set('ada', { name: 'Ada Lovelace' });
      users.delete('bob');
      store.collection<User>('groups').set('devs', { name: 'Developers' });

      const reopened = JournalStore.open(dir, 'iam');

      const reopenedUsers = reopened.collection<User>('users');
      expect(reopenedUsers.get('ada')).toEqual({ name: 'Ada Lovelace' });
      expect(reopenedUsers.get('bob')).toBeUndefined();
      expect(reopenedUsers.has('bob')).toBe(false);
      expect(reopenedUsers.values()).toEqual([{ name: 'Ada Lovelace' }]);
      expect(reopenedUsers.size).toBe(1);
      expect(reopened.collection<User>('groups').get('devs')).toEqual({ name: 'Developers' });
    });

    it('reports deleting a missing key as false without touching the journal', () => {
      const users = JournalStore.open(dir, 'iam').collection<User>('users');
      users.set('ada', { name: 'Ada' });
      const before = readFileSync(file, 'utf8');

      const deleted = users.delete('nobody');

      expect(deleted).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe(before);
    });
  });

  describe('when a value is deleted', () => {
    it('rewrites the journal so the deleted value is nowhere in the file', () => {
      const users = JournalStore.open(dir, 'iam').collection<User>('users');
      users.set('ada', { name: 'Ada', password: 'Temp-Password-4a1f' });
      users.set('bob', { name: 'Bob' });
      expect(readFileSync(file, 'utf8')).toContain('Temp-Password-4a1f');

      users.delete('ada');

      const bytes = readFileSync(file, 'utf8');
      expect(bytes).not.toContain('Temp-Password-4a1f');
      expect(bytes).not.toContain('"ada"');
      expect(bytes).toContain('Bob');
    });
  });

  describe('when the last line of the journal is torn', () => {
    it('ignores it on open and keeps appending cleanly afterwards', () => {
      JournalStore.open(dir, 'iam').collection<User>('users').set('ada', { name: 'Ada' });
      appendFileSync(file, '{"c":"users","k":"bob","v":{"na');

      const users = JournalStore.open(dir, 'iam').collection<User>('users');
      users.set('cy', { name: 'Cy' });

      expect(users.get('bob')).toBeUndefined();
      const reopened = JournalStore.open(dir, 'iam').collection<User>('users');
      expect(reopened.values()).toEqual([{ name: 'Ada' }, { name: 'Cy' }]);
    });
  });

  describe('when a line in the middle of the journal is corrupt', () => {
    it('refuses to open, naming the file and the line', () => {
      writeFileSync(
        file,
        [
          '{"c":"users","k":"ada","v":{"name":"Ada"}}',
          'not json at all',
          '{"c":"users","k":"bob","v":{"name":"Bob"}}',
          '',
        ].join('\n'),
      );

      expect(() => JournalStore.open(dir, 'iam')).toThrow(`${file}:2 is not valid JSON`);
    });
  });

  describe('when it has no data folder', () => {
    it('keeps values in memory and writes nothing to disk', () => {
      const writes = [
        jest.spyOn(fs, 'mkdirSync'),
        jest.spyOn(fs, 'appendFileSync'),
        jest.spyOn(fs, 'writeFileSync'),
        jest.spyOn(fs, 'renameSync'),
      ];
      const users = JournalStore.open(undefined, 'iam').collection<User>('users');

      users.set('ada', { name: 'Ada' });
      users.set('bob', { name: 'Bob' });
      users.delete('bob');

      expect(users.values()).toEqual([{ name: 'Ada' }]);
      for (const write of writes) expect(write).not.toHaveBeenCalled();
    });

    it('is told apart from a disk store by the same spies', () => {
      const append = jest.spyOn(fs, 'appendFileSync');
      const users = JournalStore.open(dir, 'iam').collection<User>('users');

      users.set('ada', { name: 'Ada' });

      expect(append).toHaveBeenCalledWith(file, expect.stringContaining('"ada"'));
    });
  });
});
