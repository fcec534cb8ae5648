export * from './model';
export * from './ledger-view';
export * from './statement';
export * from './family-statement';
export * from './receipt-invoice';
export * from './superbill';
export * from './good-faith-estimate';
