import {
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  MetadataStorage,
  ValidationError,
  getMetadataStorage,
  validateSync,
} from 'class-validator';
import { PartialType } from '@nestjs/swagger';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class Base {
  @IsString()
  name!: string;
}

class Derived extends Base {
  @IsInt({ groups: ['strict'] })
  @IsOptional()
  count?: number;

  @MaxLength(3)
  @IsString()
  override name = '';
}

function failedProperties(errors: ValidationError[]): Record<string, string[]> {
  return Object.fromEntries(errors.map((error) => [error.property, Object.keys(error.constraints ?? {}).sort()]));
}

function uncachedLookUp(target: abstract new (...args: never[]) => unknown, groups?: string[]) {
  return MetadataStorage.prototype.getTargetValidationMetadatas.call(getMetadataStorage(), target, '', false, false, groups);
}

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('finds the same rules as class-validator, own and inherited, for each set of groups', () => {
    const storage = getMetadataStorage();
    for (const groups of [undefined, ['strict'], ['other']]) {
      for (const target of [Base, Derived]) {
        expect(storage.getTargetValidationMetadatas(target, '', false, false, groups)).toEqual(uncachedLookUp(target, groups));
      }
    }
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false, ['strict']).map((rule) => rule.propertyName)).toContain('count');
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false, ['other']).map((rule) => rule.propertyName)).not.toContain(
      'count',
    );
  });

  it('answers a repeated lookup from the cache, with an array nobody can change', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Derived, '', false, false, undefined);
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false, undefined)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('validates as before: inherited, overridden and grouped rules', () => {
    const derived = Object.assign(new Derived(), { name: 'toolong', count: 1.5 });
    expect(failedProperties(validateSync(derived))).toEqual({ count: ['isInt'], name: ['maxLength'] });
    expect(failedProperties(validateSync(derived, { strictGroups: true }))).toEqual({ name: ['maxLength'] });
    expect(failedProperties(validateSync(derived, { groups: ['strict'] }))).toEqual({ count: ['isInt'] });
    expect(failedProperties(validateSync(Object.assign(new Base(), { name: 7 })))).toEqual({ name: ['isString'] });
  });

  it('sees a rule registered after a class was validated', () => {
    class Late {
      @IsString()
      label!: string;
    }
    const late = Object.assign(new Late(), { label: 'a', size: 'big' });
    expect(validateSync(late)).toEqual([]);

    IsInt()(Late.prototype, 'size');
    expect(failedProperties(validateSync(late))).toEqual({ size: ['isInt'] });
  });

  it('sees a rule a parent gains after its subclass was validated', () => {
    class Parent {
      @IsString()
      name!: string;
    }
    class Kid extends Parent {
      @IsInt()
      age!: number;
    }
    const kid = Object.assign(new Kid(), { name: 'k', age: 3, nickname: 4 });
    expect(validateSync(kid)).toEqual([]);

    IsString()(Parent.prototype, 'nickname');
    expect(failedProperties(validateSync(kid))).toEqual({ nickname: ['isString'] });
  });

  it('validates a mapped type defined after its base was validated', () => {
    expect(validateSync(Object.assign(new Base(), { name: 'fine' }))).toEqual([]);
    class Patch extends PartialType(Derived) {}
    expect(validateSync(Object.assign(new Patch(), {}))).toEqual([]);
    expect(failedProperties(validateSync(Object.assign(new Patch(), { name: 'toolong' })))).toEqual({ name: ['maxLength'] });
  });

  it('sees the rules of a subclass defined after its parent was validated', () => {
    expect(validateSync(Object.assign(new Base(), { name: 'fine' }))).toEqual([]);
    class Child extends Base {
      @IsInt()
      age!: number;
    }
    expect(failedProperties(validateSync(Object.assign(new Child(), { name: 3, age: 'old' })))).toEqual({
      age: ['isInt'],
      name: ['isString'],
    });
  });

  it('keeps apart lookups whose groups differ only in how they are written', () => {
    const storage = getMetadataStorage();
    const grouped = storage.getTargetValidationMetadatas(Derived, '', false, false, ['']);
    expect(grouped).toEqual(uncachedLookUp(Derived, ['']));
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false, [])).toEqual(uncachedLookUp(Derived, []));
  });

  it('wraps the storage once, however often it is called', () => {
    const storage = getMetadataStorage();
    const lookUp = storage.getTargetValidationMetadatas;
    memoizeValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(lookUp);
  });
});
