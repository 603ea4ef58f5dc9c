#include "services/volunteers/domain/validation.h"
