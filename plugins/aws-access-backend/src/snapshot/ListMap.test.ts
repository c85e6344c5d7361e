import { ListMap } from './ListMap';

describe('ListMap', () => {
  const [a, b, c] = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];

  it('keeps each key’s values in the order added, one or several', () => {
    const map = new ListMap<{ name: string }>();
    map.add('one', a);
    map.add('three', a);
    map.add('three', b);
    map.add('three', c);
    expect(map.get('one')).toEqual([a]);
    expect(map.get('three')).toEqual([a, b, c]);
    expect(map.get('none')).toEqual([]);
  });

  it('adds a value twice unless asked to add it once', () => {
    const map = new ListMap<{ name: string }>();
    map.add('twice', a);
    map.add('twice', a);
    map.add('once', a, { once: true });
    map.add('once', a, { once: true });
    map.add('once', b, { once: true });
    map.add('once', b, { once: true });
    expect(map.get('twice')).toEqual([a, a]);
    expect(map.get('once')).toEqual([a, b]);
  });

  it('lists only the keys with several values', () => {
    const map = new ListMap<{ name: string }>();
    map.add('one', a);
    map.add('two', b);
    map.add('two', c);
    expect([...map.several()]).toEqual([['two', [b, c]]]);
  });

  it('hands out copies: changing a returned list changes nothing held', () => {
    const map = new ListMap<{ name: string }>();
    map.add('one', a);
    map.add('two', a);
    map.add('two', b);
    map.get('one').push(c);
    map.get('two').push(c);
    expect(map.get('one')).toEqual([a]);
    expect(map.get('two')).toEqual([a, b]);
  });
});
