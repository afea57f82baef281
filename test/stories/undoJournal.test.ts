import { describe, expect, it } from 'vitest';
import { UndoJournal } from '../../src/stories/undoJournal.ts';

describe('UndoJournal', () => {
  it('hands back the value each key held before the article first changed it', () => {
    const index = new Map<string, number>([['a', 1]]);
    const journal = new UndoJournal<string, number | undefined>();
    const set = (key: string, value: number) => {
      journal.record(key, () => index.get(key));
      index.set(key, value);
    };
    journal.begin();
    set('a', 2);
    set('a', 3);
    set('b', 9);
    journal.rollback((key, before) => (before === undefined ? index.delete(key) : index.set(key, before)));
    expect([...index]).toEqual([['a', 1]]);
  });

  it('records nothing outside an article, and forgets a committed one', () => {
    const journal = new UndoJournal<string, number>();
    const restored: string[] = [];
    journal.record('x', () => 1);
    journal.begin();
    journal.record('y', () => 2);
    journal.commit();
    journal.rollback((key) => restored.push(key));
    expect(restored).toEqual([]);
  });
});
