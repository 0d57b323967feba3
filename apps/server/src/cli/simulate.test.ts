import { describe, expect, it } from 'vitest';
import { parseSimulateArgs } from './simulate.js';

const TODAY = Date.parse('2026-11-26T05:00:00Z');
const ENV = { TALLY_BOOTSTRAP_TOKEN: 'phc_fromenvironment01' };

describe('tally simulate flags', () => {
  it('defaults to 90 days ending yesterday, 24 tenants, seed 1, the local server', () => {
    expect(parseSimulateArgs([], ENV, TODAY)).toEqual({
      days: 90,
      tenants: 24,
      seed: 1,
      tallyUrl: 'http://127.0.0.1:8787',
      token: 'phc_fromenvironment01',
      startDate: '2026-08-28',
      deployment: 'hosted',
    });
  });

  it('takes every flag', () => {
    const parsed = parseSimulateArgs(
      [
        '--days=10',
        '--tenants',
        '20',
        '--seed',
        '7',
        '--url',
        'http://tally.test:9000',
        '--token',
        'phc_flagtoken00001',
        '--api-key',
        'phx_flagapikey000001',
        '--start-date',
        '2026-03-02',
        '--deployment',
        'on-premise',
      ],
      {},
      TODAY,
    );
    expect(parsed).toMatchObject({
      days: 10,
      tenants: 20,
      seed: 7,
      tallyUrl: 'http://tally.test:9000',
      token: 'phc_flagtoken00001',
      apiKey: 'phx_flagapikey000001',
      startDate: '2026-03-02',
      deployment: 'on-premise',
    });
  });

  it('takes the API key from TALLY_API_KEY, then TALLY_BOOTSTRAP_API_KEY', () => {
    const both = {
      ...ENV,
      TALLY_API_KEY: 'phx_fromtallyapikey1',
      TALLY_BOOTSTRAP_API_KEY: 'phx_bootstrapkey0001',
    };
    expect(parseSimulateArgs([], both, TODAY)?.apiKey).toBe('phx_fromtallyapikey1');
    const bootstrap = { ...ENV, TALLY_BOOTSTRAP_API_KEY: 'phx_bootstrapkey0001' };
    expect(parseSimulateArgs([], bootstrap, TODAY)?.apiKey).toBe('phx_bootstrapkey0001');
  });

  it.each([
    [['--days', '0'], '--days must be a whole number from 1 to 3650'],
    [['--days', 'ninety'], '--days must be a whole number'],
    [['--tenants', '2.5'], '--tenants must be a whole number'],
    [['--seed=-1'], '--seed must be a whole number'],
    [['--url', 'ftp://x'], '--url must be an http(s) URL'],
    [['--deployment', 'cloud'], '--deployment must be hosted or on-premise'],
    [['--start-date', 'yesterday'], '--start-date must be a date'],
    [['--api-key', 'phx key'], '--api-key (or TALLY_API_KEY) must be a personal API key'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimulateArgs(argv, ENV, TODAY)).toThrow(message);
  });

  it('asks for the token when neither the flag nor the environment has one', () => {
    expect(() => parseSimulateArgs([], {}, TODAY)).toThrow('--token (or TALLY_TOKEN)');
  });
});
