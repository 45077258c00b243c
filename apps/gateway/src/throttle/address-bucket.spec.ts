import { addressBucketOf } from './address-bucket';

describe('addressBucketOf', () => {
  it('keeps an IPv4 address, and reads an IPv4-mapped IPv6 one as IPv4', () => {
    expect(addressBucketOf('198.51.100.7')).toBe('198.51.100.7');
    expect(addressBucketOf('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('puts every address of one IPv6 /64 in one bucket, however it is written', () => {
    const bucket = addressBucketOf('2001:db8:1:2::1');
    expect(bucket).toBe('2001:db8:1:2::/64');
    for (const address of ['2001:0db8:0001:0002:ffff:1:2:3', '2001:DB8:1:2:0:0:0:9', '2001:db8:1:2::abcd'])
      expect(addressBucketOf(address)).toBe(bucket);
    expect(addressBucketOf('2001:db8:1:3::1')).not.toBe(bucket);
    expect(addressBucketOf('::1')).toBe('0:0:0:0::/64');
  });
});
